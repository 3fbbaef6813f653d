import { describe, expect, it } from 'vitest';
import type { Action } from '../api/automation';
import {
  actionFormSignature,
  argsFromRows,
  bodyFromActionForm,
  checkActionForm,
  emptyActionForm,
  formFromAction,
  newRow,
  newSecretRow,
  templateArgNames,
} from './action-form';

const action: Action = {
  id: 'a1',
  key: 'get_order',
  description: 'Look up an order',
  kind: 'http',
  config: {
    method: 'POST',
    url: 'https://erp.example.com/orders/{{args.order_no}}',
    headers: { Authorization: 'Bearer {{secrets.ERP_TOKEN}}' },
    body: { reason: '{{args.reason}}', amount: '{{args.amount}}' },
    response: { order_status: 'data.status' },
    timeoutMs: 3000,
    retries: 1,
    idempotency: true,
  },
  secretNames: ['ERP_TOKEN'],
  llmTool: true,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

describe('action form', () => {
  it('round-trips an action: what the form sends is what was stored, secrets untouched', () => {
    const form = formFromAction(action);
    expect(form.headers.map((h) => [h.key, h.value])).toEqual([['Authorization', 'Bearer {{secrets.ERP_TOKEN}}']]);
    expect(form.secrets).toEqual([expect.objectContaining({ name: 'ERP_TOKEN', state: 'keep', value: '' })]);
    expect(checkActionForm(form).size).toBe(0);
    expect(bodyFromActionForm(form)).toEqual({
      key: 'get_order',
      description: 'Look up an order',
      kind: 'http',
      config: action.config,
      llmTool: true,
    });
  });

  it('sends replaced and new secrets, and null for removed ones', () => {
    const form = formFromAction(action);
    form.secrets[0] = { ...form.secrets[0]!, state: 'remove' };
    form.secrets.push({ ...newSecretRow('API_KEY'), value: 's3cret' });
    expect(bodyFromActionForm(form).secrets).toEqual({ ERP_TOKEN: null, API_KEY: 's3cret' });
    form.secrets[0] = { ...form.secrets[0]!, state: 'replace', value: '' };
    expect(checkActionForm(form).get('secrets.ERP_TOKEN')).toBe('secretValue');
  });

  it('names each field the server would refuse', () => {
    const form = {
      ...emptyActionForm(),
      key: 'Get Order',
      body: '{ "a": ',
      timeoutMs: '50',
      retries: '9',
      headers: [newRow('Bad Header', 'x'), newRow('X-A', 'x'), newRow('x-a', 'y')],
      response: [newRow('Status', 'data.status')],
      secrets: [newSecretRow('1abc')],
    };
    const checks = checkActionForm(form);
    expect(Object.fromEntries(checks)).toEqual({
      key: 'keyFormat',
      'config.url': 'required',
      'config.body': 'json',
      'config.timeoutMs': 'timeout',
      'config.retries': 'retries',
      'config.headers.Bad Header': 'headerName',
      'config.headers.x-a': 'duplicate',
      'config.response.Status': 'slotName',
      'secrets.1abc': 'secretName',
    });
    expect(checkActionForm({ ...emptyActionForm(), key: 'a', url: 'https://x', body: '{}' }).get('config.body')).toBe('getBody');
  });

  it('ignores empty rows and changes nothing in the signature by row ids alone', () => {
    const form = { ...emptyActionForm(), key: 'a', url: 'https://x', headers: [newRow()] };
    expect(checkActionForm(form).size).toBe(0);
    expect(bodyFromActionForm(form).config).toEqual({ method: 'GET', url: 'https://x' });
    expect(actionFormSignature(form)).toBe(actionFormSignature({ ...form, headers: [newRow()] }));
    expect(actionFormSignature(form)).not.toBe(actionFormSignature({ ...form, headers: [newRow('A', 'b')] }));
  });

  it('lists the arguments the templates use, and reads test arguments as a flow would pass them', () => {
    expect(templateArgNames(formFromAction(action))).toEqual(['order_no', 'reason', 'amount']);
    expect(
      argsFromRows([newRow('order_no', 'YD2026111800456'), newRow('amount', '99.5'), newRow('vip', 'true'), newRow('code', '007'), newRow('', 'x')]),
    ).toEqual({
      order_no: 'YD2026111800456',
      amount: 99.5,
      vip: true,
      code: '007',
    });
  });
});
