import { describe, expect, it } from 'vitest';
import { isTypingTarget, neighbourId, shortcutFor } from './shortcuts';

const body = { tagName: 'BODY' };

describe('shortcutFor', () => {
  it('maps single keys to inbox actions', () => {
    expect(shortcutFor({ key: 'c', target: body })).toBe('claim');
    expect(shortcutFor({ key: 'e', target: body })).toBe('resolve');
    expect(shortcutFor({ key: 't', target: body })).toBe('transfer');
    expect(shortcutFor({ key: 'z', target: body })).toBe('snooze');
    expect(shortcutFor({ key: 'r', target: body })).toBe('reply');
    expect(shortcutFor({ key: '/', target: body })).toBe('search');
    expect(shortcutFor({ key: 'j', target: body })).toBe('next');
    expect(shortcutFor({ key: 'k', target: body })).toBe('previous');
    expect(shortcutFor({ key: '?', shiftKey: true, target: body })).toBe('help');
    // Caps Lock on: the same action.
    expect(shortcutFor({ key: 'C', target: body })).toBe('claim');
    expect(shortcutFor({ key: 'x', target: body })).toBeNull();
    expect(shortcutFor({ key: 'Enter', target: body })).toBeNull();
  });

  it('never fires while typing, composing with an IME, or with a modifier held', () => {
    expect(shortcutFor({ key: 'c', target: { tagName: 'TEXTAREA' } })).toBeNull();
    expect(shortcutFor({ key: 'c', target: { tagName: 'INPUT', type: 'search' } })).toBeNull();
    expect(shortcutFor({ key: 'c', target: { tagName: 'DIV', isContentEditable: true } })).toBeNull();
    expect(shortcutFor({ key: 'c', target: body, isComposing: true })).toBeNull();
    expect(shortcutFor({ key: 'c', target: body, keyCode: 229 })).toBeNull();
    expect(shortcutFor({ key: 'c', target: body, ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: 'r', target: body, metaKey: true })).toBeNull();
    expect(shortcutFor({ key: 'C', target: body, shiftKey: true })).toBeNull();
  });
});

describe('isTypingTarget', () => {
  it('tells text fields from buttons and radios', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'email' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('neighbourId', () => {
  const ids = ['a', 'b', 'c'];
  it('moves to the next or previous conversation and stops at the ends', () => {
    expect(neighbourId(ids, 'a', 1)).toBe('b');
    expect(neighbourId(ids, 'b', -1)).toBe('a');
    expect(neighbourId(ids, 'c', 1)).toBeNull();
    expect(neighbourId(ids, 'a', -1)).toBeNull();
  });

  it('starts at an end when nothing (or something no longer listed) is selected', () => {
    expect(neighbourId(ids, null, 1)).toBe('a');
    expect(neighbourId(ids, 'gone', -1)).toBe('c');
    expect(neighbourId([], null, 1)).toBeNull();
  });
});
