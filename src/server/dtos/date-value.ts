/** Camunda's date format for optional timestamps in DTOs. */
import { formatCamundaDate } from '../../core/camunda-date.js';

export function dateValue(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return formatCamundaDate(value instanceof Date ? value : new Date(value));
}

export function numberValue(value: string | number | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}
