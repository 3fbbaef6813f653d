import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ShopSite {
  /** `http://localhost:<port>`: another origin than the kefu server's `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

export interface ShopPageOptions {
  /** Where the page loads `/widget/loader.js` from: the kefu server, or a proxy in front of it. */
  kefuUrl: string;
  widgetKey: string;
  /** `data-locale` on the script tag; the browser's language when absent. */
  locale?: string;
  /** Script that runs before the loader (e.g. queued `kefu('identify', …)` calls). */
  before?: string;
}

/** A customer's page with the one script tag that embeds the widget. */
export function shopPage(o: ShopPageOptions): string {
  const locale = o.locale ? ` data-locale="${o.locale}"` : '';
  return `<!doctype html><html lang="${o.locale ?? 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title></head>
<body><h1>Shop</h1>
${o.before ? `<script>${o.before}</script>\n` : ''}<script src="${o.kefuUrl}/widget/loader.js" data-widget-key="${o.widgetKey}"${locale} async></script></body></html>`;
}

/** Serves a shop's pages on another origin than kefu's, the way a business's site embeds the widget. */
export async function startShopSite(page: (req: IncomingMessage) => string): Promise<ShopSite> {
  const site = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(req));
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  return {
    url: `http://localhost:${(site.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => site.close(() => done())),
  };
}
