const PATHS = {
  cloud: 'M7 19a5 5 0 0 1-.9-9.92A6 6 0 0 1 17.6 8.1 4.5 4.5 0 0 1 17.5 19Z',
  plus: 'M12 5v14M5 12h14',
  send: 'M4 12 20 4l-6 16-3-7-7-1Z',
  close: 'M6 6l12 12M18 6 6 18',
  alert: 'M12 8v5m0 3.5v.01M10.3 3.9 2.5 18a2 2 0 0 0 1.7 3h15.6a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
  paperclip: 'm21 11-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7',
  globe: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm-9 9h18M12 3c2.5 2.5 3.8 5.5 3.8 9s-1.3 6.5-3.8 9c-2.5-2.5-3.8-5.5-3.8-9S9.5 5.5 12 3Z',
  truck: 'M3 7h11v9H3zM14 10h4l3 3v3h-7M7.5 19a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Zm10 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Z',
  return: 'M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4',
  shield: 'M12 3 5 6v5c0 4.5 3 8.3 7 10 4-1.7 7-5.5 7-10V6l-7-3Zm-3 9 2 2 4-4',
  external: 'M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5',
  file: 'M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8Zm0 0v5h5',
  // The satisfaction survey's faces, from very unhappy to very happy (the mouth is all that changes).
  face1: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18ZM9 9.5v.01M15 9.5v.01 M8 17c1-2 2.4-2.8 4-2.8s3 .8 4 2.8',
  face2: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18ZM9 9.5v.01M15 9.5v.01 M8.5 16.2c1-.9 2.2-1.3 3.5-1.3s2.5.4 3.5 1.3',
  face3: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18ZM9 9.5v.01M15 9.5v.01 M8.5 15.2h7',
  face4: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18ZM9 9.5v.01M15 9.5v.01 M8.5 14.2c1 .9 2.2 1.4 3.5 1.4s2.5-.5 3.5-1.4',
  face5: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18ZM9 9.5v.01M15 9.5v.01 M8 13.6c1 2.2 2.4 3.3 4 3.3s3-1.1 4-3.3',
} as const;

export type IconName = keyof typeof PATHS;

/** A decorative line icon (hidden from assistive technology; the control around it carries the name). */
export function icon(doc: Document, name: IconName): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = doc.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `kf-icon kf-icon--${name}`);
  const path = doc.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name]);
  svg.append(path);
  return svg;
}
