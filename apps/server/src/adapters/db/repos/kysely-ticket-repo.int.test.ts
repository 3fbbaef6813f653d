import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../../domain/entities.js';
import type { Store } from '../../../ports/store.js';
import { testDialects } from '../../../test-support/dialects.js';
import { uuidv7Ids } from '../../ids/uuidv7-ids.js';
import { createKyselyStore } from '../kysely-store.js';

const id = () => uuidv7Ids.next();
const iso = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();

// Tickets keep their team and list by it, and an agent's list holds what they may see, on every dialect.
describe.each(testDialects())('ticket repo on $name', (dialect) => {
  let store: Store;
  let drop: () => Promise<void>;
  let ws: string;

  beforeEach(async () => {
    const opened = await dialect.open();
    store = createKyselyStore(opened.handle);
    drop = opened.drop;
    ws = id();
    await store.workspaces.create({ id: ws, slug: `ws-${ws.slice(-8)}`, name: 'Shop', widgetKey: `kfw_${ws}`, settings: {}, createdAt: iso(0) });
  });
  afterEach(async () => {
    await drop();
  });

  const open = (n: number, teamId: string | null, assigneeId: string | null = null) =>
    store.tickets.create({
      id: id(),
      workspaceId: ws,
      subject: `t${n}`,
      description: '',
      status: 'new',
      priority: 'normal',
      assigneeId,
      teamId,
      contactId: null,
      conversationId: null,
      source: 'agent',
      dueAt: null,
      solvedAt: null,
      createdAt: iso(n),
      updatedAt: iso(n),
    });
  const subjects = (page: { items: Ticket[] }) => page.items.map((t) => t.subject).sort();

  it('stores the team, moves it, and filters by team, no team and what an agent may see', async () => {
    const [sales, billing, me] = [id(), id(), id()];
    const shared = await open(1, null);
    await open(2, sales);
    const moving = await open(3, billing);
    await open(4, billing, me);

    expect((await store.tickets.find(ws, moving.id))?.teamId).toBe(billing);
    await store.tickets.update({ ...moving, teamId: null, updatedAt: iso(5) });
    expect((await store.tickets.find(ws, moving.id))?.teamId).toBeNull();
    await store.tickets.update({ ...moving, teamId: billing, updatedAt: iso(6) });

    expect(subjects(await store.tickets.list(ws, { limit: 10, teamId: billing }))).toEqual(['t3', 't4']);
    expect(subjects(await store.tickets.list(ws, { limit: 10, teamId: null }))).toEqual([shared.subject]);
    expect(subjects(await store.tickets.list(ws, { limit: 10, visibleTo: { memberId: me, teamIds: [sales] } }))).toEqual(['t1', 't2', 't4']);
    expect(subjects(await store.tickets.list(ws, { limit: 10, visibleTo: { memberId: id(), teamIds: [] } }))).toEqual(['t1']);
  });
});
