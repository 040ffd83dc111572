/** Text placed between tags: every character that could open markup is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `name="value"` pairs; null/undefined/false attributes are left out, true ones written bare. */
export function attributes(values: Record<string, string | number | boolean | null | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== null && value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`))
    .join('');
}

/**
 * JSON inside `<script type="application/json">`: `<` is written as `\u003c`, so neither
 * `</script>` nor `<!--` in a description or SQL can end the element early.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The hash route of a resource page, as dbt docs spells it: `#!/model/model.jaffle.orders`. */
export function routeOf(resourceType: string, uniqueId: string): string {
  return `${resourceType}/${uniqueId}`;
}

export function hrefOf(route: string): string {
  return `#!/${route}`;
}

/** Bytes as people read them, with the exact count alongside (`1.5 GiB (1,610,612,736 bytes)`). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return unit === 0 ? exact : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]} (${exact})`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}
