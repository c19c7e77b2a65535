/** Java SimpleDateFormat patterns of date form fields (`dd/MM/yyyy`), numeric fields only, read and written in UTC. */

type Field = 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S';

type Part = { literal: string } | { field: Field; width: number };

const FIELDS = new Set<string>(['y', 'M', 'd', 'H', 'm', 's', 'S']);

function partsOf(pattern: string): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length;) {
    const char = pattern[i]!;
    if (char === "'") {
      const end = pattern.indexOf("'", i + 1);
      const quoted = pattern.slice(i + 1, end === -1 ? pattern.length : end);
      parts.push({ literal: quoted === '' ? "'" : quoted });
      i = end === -1 ? pattern.length : end + 1;
    } else if (FIELDS.has(char)) {
      let width = 1;
      while (pattern[i + width] === char) width += 1;
      parts.push({ field: char as Field, width });
      i += width;
    } else {
      parts.push({ literal: char });
      i += 1;
    }
  }
  return parts;
}

function fieldOf(date: Date, field: Field): number {
  switch (field) {
    case 'y': return date.getUTCFullYear();
    case 'M': return date.getUTCMonth() + 1;
    case 'd': return date.getUTCDate();
    case 'H': return date.getUTCHours();
    case 'm': return date.getUTCMinutes();
    case 's': return date.getUTCSeconds();
    case 'S': return date.getUTCMilliseconds();
  }
}

export function formatFormDate(date: Date, pattern: string): string {
  return partsOf(pattern).map((part) => {
    if ('literal' in part) return part.literal;
    const value = fieldOf(date, part.field);
    // SimpleDateFormat writes a two-letter year as its last two digits.
    if (part.field === 'y' && part.width === 2) return String(value % 100).padStart(2, '0');
    return String(value).padStart(part.width, '0');
  }).join('');
}

/** Parses a leading match as SimpleDateFormat's parseObject does (lenient: day 32 rolls over); undefined when it does not match. */
export function parseFormDate(text: string, pattern: string): Date | undefined {
  const parts = partsOf(pattern);
  const source = parts.map((part) => ('literal' in part ? part.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '(\\d+)')).join('');
  const match = new RegExp(`^${source}`).exec(text);
  if (!match) return undefined;
  const values: Record<Field, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  let group = 1;
  for (const part of parts) {
    if ('literal' in part) continue;
    let value = Number(match[group++]);
    if (part.field === 'y' && part.width <= 2 && match[group - 1]!.length <= 2) value += 2000;
    values[part.field] = value;
  }
  const date = new Date(0);
  date.setUTCFullYear(values.y, values.M - 1, values.d);
  date.setUTCHours(values.H, values.m, values.s, values.S);
  return date;
}
