const HUES = [210, 160, 280, 20, 330, 45, 190, 250];

/** Initial on a colour picked from the id, so one customer keeps one colour everywhere. */
export function Avatar({ id, name, size = 36 }: { id: string; name: string; size?: number }) {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  const hue = HUES[h % HUES.length];
  const initial = [...name.trim()][0]?.toUpperCase() ?? '?';
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.42, background: `hsl(${hue} 65% 92%)`, color: `hsl(${hue} 55% 32%)` }}
    >
      {initial}
    </span>
  );
}
