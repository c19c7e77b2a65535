/** Renders a failed schema check as one line naming each offending path, never the values (they may be patient data). */
import type { z } from 'zod';

const MAX_ISSUES = 10;

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    return text === '' ? name : `${text}.${name}`;
  }, '');
}

/** `memberId: Invalid input: expected string, received undefined; …`, at most ten issues and a count of the rest. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => `${pathText(issue.path)}: ${issue.message}`);
  if (issues.length > MAX_ISSUES) shown.push(`and ${issues.length - MAX_ISSUES} more`);
  return shown.join('; ');
}
