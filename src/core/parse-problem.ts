/** One problem found while parsing a deployed resource, in the shape Camunda's ParseException details use. */

export interface ParseProblem {
  message: string;
  line: number;
  column: number;
  mainElementId: string | null;
  elementIds: string[];
}
