import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { RealtimeProvider } from './state/realtime';
import { useSession } from './state/session';

export function App() {
  const { session, expire } = useSession();
  if (!session) return <LoginPage />;
  return (
    <RealtimeProvider token={session.token} onUnauthorized={expire}>
      <InboxPage />
    </RealtimeProvider>
  );
}
