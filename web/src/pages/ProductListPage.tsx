import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { CategoriesDocument, ProductsDocument } from '../__generated__/graphql';
import { navigate, Link, useLocation } from '../app/router';
import { AddToCart } from '../components/AddToCart';
import { CursorPager, useCursorStack } from '../components/CursorPager';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';

const PAGE_SIZE = 8;

export function ProductListPage() {
  const location = useLocation();
  const category = location.searchParams.get('category') || undefined;
  // The URL keeps the category; paging within it starts over when it changes.
  const cursors = useCursorStack(category ?? '');
  const after = cursors.after;
  const [announcement, setAnnouncement] = useState('');

  const categories = useQuery(CategoriesDocument);
  const { data, loading, error } = useQuery(ProductsDocument, { variables: { category, first: PAGE_SIZE, after } });
  const names = [...new Set(categories.data?.products.edges.map((edge) => edge.node.category) ?? [])].sort();
  if (category && !names.includes(category)) names.push(category);

  const page = data?.products;
  return (
    <section aria-labelledby="products-heading">
      <h1 id="products-heading">{category ? `Products in ${category}` : 'All products'}</h1>
      <form className="filters" role="search" aria-label="Filter products" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="category-filter">Category</label>
        <select
          id="category-filter"
          value={category ?? ''}
          onChange={(event) => {
            const next = event.target.value;
            navigate(next ? `/?category=${encodeURIComponent(next)}` : '/');
          }}
        >
          <option value="">All categories</option>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </form>
      <ErrorMessage error={error} title="The products could not be loaded." />
      {loading && !page ? <p aria-busy="true">Loading products…</p> : null}
      {page ? (
        page.edges.length === 0 ? (
          <p>No products here.</p>
        ) : (
          <ul className="product-grid" aria-label="Products">
            {page.edges.map(({ node }) => (
              <li key={node.id} className="product-card">
                <h2>
                  <Link to={`/products/${encodeURIComponent(node.id)}`}>{node.name}</Link>
                </h2>
                <p className="category">{node.category}</p>
                <p className="price">
                  <Money value={node.price} />
                </p>
                <p className={node.inStock ? 'stock' : 'stock out'}>{node.inStock ? `${node.stockQuantity} in stock` : 'Out of stock'}</p>
                <AddToCart product={node} onAdded={setAnnouncement} />
              </li>
            ))}
          </ul>
        )
      ) : null}
      <CursorPager label="Product pages" cursors={cursors} pageInfo={page?.pageInfo} previous="Previous page" next="Next page" showPage />
      <p role="status" className="announcement">
        {announcement}
      </p>
    </section>
  );
}
