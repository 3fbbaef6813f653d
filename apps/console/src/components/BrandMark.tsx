/** kefu's logo: a speech bubble on a rounded square. Decorative; the product name is always beside it. */
export function BrandMark({ size }: { size: number }) {
  return (
    <span className="brand-mark" aria-hidden="true">
      <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="currentColor" />
        <path d="M9 11h14v9H15l-4 3v-3H9z" fill="#fff" />
      </svg>
    </span>
  );
}
