import { describe, expect, it } from 'vitest';
import { filterMembers, filterReplies, insertMention, mentionQuery, mentionSegments, slashQuery, unfilledPlaceholders } from './composer-triggers';

describe('composer triggers', () => {
  it('opens the canned-reply picker only for a slash at the start of the reply', () => {
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('/ref')).toBe('ref');
    expect(slashQuery('/退款')).toBe('退款');
    expect(slashQuery('/ref now')).toBeNull();
    expect(slashQuery('see /ref')).toBeNull();
    expect(slashQuery('')).toBeNull();
  });

  it('reads the @name being typed, with one space, but not inside e-mail addresses', () => {
    expect(mentionQuery('请 @张', 4)).toEqual({ start: 2, query: '张' });
    expect(mentionQuery('@Ann L', 6)).toEqual({ start: 0, query: 'Ann L' });
    expect(mentionQuery('@Ann Lee is', 11)).toBeNull();
    expect(mentionQuery('mail lily@shop', 14)).toBeNull();
    expect(mentionQuery('no at sign', 5)).toBeNull();
    expect(insertMention('cc @li please', 3, 6, 'Lily 李丽')).toEqual({ text: 'cc @Lily 李丽 please', caret: 12 });
  });

  it('ranks shortcuts that start with the query first, members by name or e-mail', () => {
    const replies = [
      { shortcut: 'bye', title: '结束语', body: '感谢' },
      { shortcut: 'refund', title: '退款时效', body: '…' },
      { shortcut: 'hi-refund', title: 'x', body: 'y' },
    ];
    expect(filterReplies(replies, 'ref').map((r) => r.shortcut)).toEqual(['refund', 'hi-refund']);
    expect(filterReplies(replies, '退款').map((r) => r.shortcut)).toEqual(['refund']);
    const members = [
      { id: '1', name: '张三', email: 'zhang@x.test' },
      { id: '2', name: 'Ann Lee', email: 'ann@x.test' },
    ];
    expect(filterMembers(members, 'zh').map((m) => m.id)).toEqual(['1']);
    expect(filterMembers(members, 'lee').map((m) => m.id)).toEqual(['2']);
  });

  it('splits a note into text and highlighted mentions', () => {
    expect(
      mentionSegments('@张三丰请看，cc @ann', [
        { memberId: 'z', handle: '张三丰' },
        { memberId: 'a', handle: 'Ann' },
      ]),
    ).toEqual([{ text: '@张三丰', memberId: 'z' }, { text: '请看，cc ' }, { text: '@ann', memberId: 'a' }]);
    expect(unfilledPlaceholders('Hi 王, mail {{contact.email}} or {{ contact.attributes.tier }}')).toEqual(['contact.email', 'contact.attributes.tier']);
  });
});
