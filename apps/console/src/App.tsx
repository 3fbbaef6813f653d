import { AutomationPage } from './pages/AutomationPage';
import { InboxPage } from './pages/InboxPage';
import { KnowledgePage } from './pages/KnowledgePage';
import { LoginPage } from './pages/LoginPage';
import { SettingsPage } from './pages/SettingsPage';
import { TicketsPage } from './pages/TicketsPage';
import { UnderstandingPage } from './pages/UnderstandingPage';
import { RealtimeProvider } from './state/realtime';
import { type Section, useRoute } from './state/route';
import { useSession } from './state/session';

export function App() {
  const { session, expire } = useSession();
  const [route] = useRoute();
  if (!session) return <LoginPage />;
  return (
    <RealtimeProvider token={session.token} onUnauthorized={expire}>
      <SectionPage section={route.section} />
    </RealtimeProvider>
  );
}

function SectionPage({ section }: { section: Section }) {
  switch (section) {
    case 'knowledge':
      return <KnowledgePage />;
    case 'understanding':
      return <UnderstandingPage />;
    case 'automation':
      return <AutomationPage />;
    case 'settings':
      return <SettingsPage />;
    case 'tickets':
      return <TicketsPage />;
    default:
      return <InboxPage />;
  }
}
