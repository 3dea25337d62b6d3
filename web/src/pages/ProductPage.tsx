import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ProductDocument } from '../__generated__/graphql';
import { Link } from '../app/router';
import { AddToCart } from '../components/AddToCart';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';

export function ProductPage({ id }: { id: string }) {
  const { data, loading, error } = useQuery(ProductDocument, { variables: { id } });
  const [announcement, setAnnouncement] = useState('');
  const product = data?.product;
  if (loading && !data) return <p aria-busy="true">Loading the product…</p>;
  if (error) return <ErrorMessage error={error} title="The product could not be loaded." />;
  if (!product) {
    return (
      <section>
        <h1>No such product</h1>
        <p>
          There is no product with id {id}. <Link to="/">Back to the products</Link>
        </p>
      </section>
    );
  }
  return (
    <article aria-labelledby="product-heading" className="product">
      <p>
        <Link to={`/?category=${encodeURIComponent(product.category)}`}>{product.category}</Link>
      </p>
      <h1 id="product-heading">{product.name}</h1>
      <p>{product.description}</p>
      <dl>
        <dt>Price</dt>
        <dd>
          <Money value={product.price} />
        </dd>
        <dt>Availability</dt>
        <dd>{product.inStock ? `${product.stockQuantity} in stock` : 'Out of stock'}</dd>
        <dt>SKU</dt>
        <dd>{product.sku}</dd>
      </dl>
      <AddToCart product={product} withQuantity onAdded={setAnnouncement} />
      <p role="status" className="announcement">
        {announcement}
      </p>
    </article>
  );
}
