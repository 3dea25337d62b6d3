import { lazy, Suspense } from 'react';
import { itemCount } from '../cart/cart';
import { useCart } from '../cart/use-cart';
import { ProductListPage } from '../pages/ProductListPage';
import { ProductPage } from '../pages/ProductPage';
import { useSession } from '../session/SessionProvider';
import { Link, matchPath, useLocation } from './router';

// Browsing is what most visits do: every other page loads on demand, outside the first page's JavaScript.
const CartPage = lazy(() => import('../pages/CartPage').then((module) => ({ default: module.CartPage })));
const CheckoutPage = lazy(() => import('../checkout/CheckoutPage').then((module) => ({ default: module.CheckoutPage })));
const OrdersPage = lazy(() => import('../pages/OrdersPage').then((module) => ({ default: module.OrdersPage })));
const OrderPage = lazy(() => import('../pages/OrderPage').then((module) => ({ default: module.OrderPage })));
const RewardsPage = lazy(() => import('../pages/RewardsPage').then((module) => ({ default: module.RewardsPage })));
const SignInPage = lazy(() => import('../pages/SignInPage').then((module) => ({ default: module.SignInPage })));
const AdminOrdersPage = lazy(() => import('../admin/AdminOrdersPage'));

function Page({ pathname }: { pathname: string }) {
  if (pathname === '/') return <ProductListPage />;
  const product = matchPath('/products/:id', pathname);
  if (product) return <ProductPage id={product['id']!} />;
  if (pathname === '/cart') return <CartPage />;
  if (pathname === '/checkout') return <CheckoutPage />;
  if (pathname === '/orders') return <OrdersPage />;
  const order = matchPath('/orders/:id', pathname);
  if (order) return <OrderPage id={order['id']!} />;
  if (pathname === '/rewards') return <RewardsPage />;
  if (pathname === '/sign-in') return <SignInPage />;
  if (pathname === '/admin/orders') return <AdminOrdersPage />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives at {pathname}. <Link to="/">Go to the products</Link>
      </p>
    </section>
  );
}

export function App() {
  const { pathname } = useLocation();
  const { session, notice, signOut } = useSession();
  const cart = useCart();
  const count = itemCount(cart);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Federated Commerce
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/" aria-current={pathname === '/' ? 'page' : undefined}>
                Products
              </Link>
            </li>
            <li>
              <Link to="/cart" aria-current={pathname === '/cart' ? 'page' : undefined} aria-label={`Cart: ${count} ${count === 1 ? 'item' : 'items'}`}>
                Cart ({count})
              </Link>
            </li>
            {session ? (
              <>
                <li>
                  <Link to="/orders" aria-current={pathname === '/orders' ? 'page' : undefined}>
                    My orders
                  </Link>
                </li>
                <li>
                  <Link to="/rewards" aria-current={pathname === '/rewards' ? 'page' : undefined}>
                    Rewards
                  </Link>
                </li>
              </>
            ) : null}
            {session?.admin ? (
              <li>
                <Link to="/admin/orders" aria-current={pathname === '/admin/orders' ? 'page' : undefined}>
                  Admin
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="account">
          {session ? (
            <>
              <span>
                Signed in as <strong>{session.sub}</strong>
                {session.admin ? ' (admin)' : ''}
              </span>{' '}
              <button type="button" onClick={() => signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <Link to="/sign-in">Sign in</Link>
          )}
        </div>
      </header>
      {notice ? (
        <p role="alert" className="notice">
          {notice}
        </p>
      ) : null}
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Page pathname={pathname} />
        </Suspense>
      </main>
    </>
  );
}
