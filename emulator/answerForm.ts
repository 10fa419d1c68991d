/**
 * Where Polytomic's docs pages and its SDK describe one answer two ways, the emulator can speak
 * either, so that clients are tested against both:
 *
 * | answer | `docs` (the docs pages, the default) | `sdk` (the SDK's types) |
 * | --- | --- | --- |
 * | schema status `cache_status` | `true` once ready, `false` before | `"fresh"` once ready, `"refreshing"` before |
 * | a sync event's sync name | `event.name` | `event.sync_name` |
 */
export const ANSWER_FORMS = ["docs", "sdk"] as const;
export type AnswerForm = (typeof ANSWER_FORMS)[number];
export const DEFAULT_ANSWER_FORM: AnswerForm = "docs";

export function parseAnswerForm(value: string): AnswerForm {
  if ((ANSWER_FORMS as readonly string[]).includes(value)) return value as AnswerForm;
  throw new Error(`--answer-form must be one of ${ANSWER_FORMS.join(", ")} (got "${value}")`);
}
