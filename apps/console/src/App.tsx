import { InboxPage } from './pages/InboxPage';
import { KnowledgePage } from './pages/KnowledgePage';
import { LoginPage } from './pages/LoginPage';
import { UnderstandingPage } from './pages/UnderstandingPage';
import { RealtimeProvider } from './state/realtime';
import { useRoute } from './state/route';
import { useSession } from './state/session';

export function App() {
  const { session, expire } = useSession();
  const [route] = useRoute();
  if (!session) return <LoginPage />;
  return (
    <RealtimeProvider token={session.token} onUnauthorized={expire}>
      {route.section === 'knowledge' ? <KnowledgePage /> : route.section === 'understanding' ? <UnderstandingPage /> : <InboxPage />}
    </RealtimeProvider>
  );
}
