import { describe, expect, it } from 'vitest';
import { FLOW_TEMPLATE_IDS, flowTemplate, isFlowTemplateId, uniqueFlowKey } from './flow-templates';

describe('flow templates', () => {
  it('picks a key no flow has', () => {
    expect(uniqueFlowKey('new_flow', [])).toBe('new_flow');
    expect(uniqueFlowKey('new_flow', ['new_flow', 'new_flow_2'])).toBe('new_flow_3');
  });

  it('starts every template with its key and gives text in three languages', () => {
    for (const id of FLOW_TEMPLATE_IDS) {
      const yaml = flowTemplate(id, ['new_flow', 'new_collect', 'new_lookup']);
      expect(yaml).toMatch(/^key: new_[a-z]+_2\n/);
      expect(yaml).toContain('zh-CN:');
      expect(yaml).toContain('zh-TW:');
      expect(yaml).toContain('en:');
    }
  });

  it('knows its ids', () => {
    expect(isFlowTemplateId('collect')).toBe(true);
    expect(isFlowTemplateId('nope')).toBe(false);
    expect(isFlowTemplateId(null)).toBe(false);
  });
});
