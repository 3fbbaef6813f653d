import type { LlmStatus } from '@kefu/protocol';
import type { SettingsForm } from '../../lib/settings-form';

/** What each group of the settings form gets: the form, a setter, a field's problems by path, the model's state. */
export interface GroupProps {
  form: SettingsForm;
  update<K extends keyof SettingsForm>(key: K, value: SettingsForm[K]): void;
  messages(path: string): string[];
  llm: LlmStatus;
}
