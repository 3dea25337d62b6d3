/**
 * Demo catalog for local runs: 24 products in 4 categories. Seeding goes through the Catalog use case, and a
 * SKU that already exists is skipped (SKUs are unique), so running it again never duplicates anything.
 */
import type { Caller } from '../lib/auth';
import { ConflictError } from '../lib/ddd';
import type { CatalogDependencies } from '../subgraphs/catalog/application/catalog-dependencies';
import { createProduct } from '../subgraphs/catalog/application/create-product';
import type { NewProduct } from '../subgraphs/catalog/domain/product';

const usd = (amount: number) => ({ amount, currency: 'USD' });

export const DEMO_PRODUCTS: readonly NewProduct[] = [
  { sku: 'ELEC-HEADPHONES-01', name: 'Wireless Noise-Cancelling Headphones', category: 'electronics', price: usd(19999), stockQuantity: 40, description: 'Over-ear, 30 h battery, USB-C.' },
  { sku: 'ELEC-KEYBOARD-01', name: 'Mechanical Keyboard', category: 'electronics', price: usd(8999), stockQuantity: 75, description: 'Tenkeyless, hot-swappable switches.' },
  { sku: 'ELEC-MOUSE-01', name: 'Ergonomic Mouse', category: 'electronics', price: usd(4999), stockQuantity: 120, description: 'Vertical grip, 6 buttons.' },
  { sku: 'ELEC-MONITOR-27', name: '27" 4K Monitor', category: 'electronics', price: usd(32999), stockQuantity: 15, description: 'IPS, 60 Hz, USB-C power delivery.' },
  { sku: 'ELEC-WEBCAM-01', name: '1080p Webcam', category: 'electronics', price: usd(5999), stockQuantity: 60, description: 'Autofocus, dual microphones.' },
  { sku: 'ELEC-CHARGER-65W', name: '65 W USB-C Charger', category: 'electronics', price: usd(3499), stockQuantity: 200, description: 'GaN, two ports.' },
  { sku: 'BOOK-DDD-01', name: 'Domain-Driven Design', category: 'books', price: usd(5499), stockQuantity: 30, description: 'Tackling complexity in the heart of software.' },
  { sku: 'BOOK-DDIA-01', name: 'Designing Data-Intensive Applications', category: 'books', price: usd(4999), stockQuantity: 45, description: 'The big ideas behind reliable, scalable systems.' },
  { sku: 'BOOK-REFACTOR-01', name: 'Refactoring', category: 'books', price: usd(4499), stockQuantity: 25, description: 'Improving the design of existing code.' },
  { sku: 'BOOK-SRE-01', name: 'Site Reliability Engineering', category: 'books', price: usd(3999), stockQuantity: 20, description: 'How Google runs production systems.' },
  { sku: 'BOOK-GRAPHQL-01', name: 'Production Ready GraphQL', category: 'books', price: usd(2999), stockQuantity: 50, description: 'Schema design, performance and security.' },
  { sku: 'BOOK-PRAGPROG-01', name: 'The Pragmatic Programmer', category: 'books', price: usd(3999), stockQuantity: 35, description: '20th anniversary edition.' },
  { sku: 'HOME-KETTLE-01', name: 'Electric Kettle', category: 'home-kitchen', price: usd(3999), stockQuantity: 80, description: '1.7 l, temperature control.' },
  { sku: 'HOME-GRINDER-01', name: 'Burr Coffee Grinder', category: 'home-kitchen', price: usd(12999), stockQuantity: 18, description: '40 grind settings.' },
  { sku: 'HOME-PAN-28', name: 'Cast Iron Skillet 28 cm', category: 'home-kitchen', price: usd(4499), stockQuantity: 55, description: 'Pre-seasoned.' },
  { sku: 'HOME-KNIFE-01', name: "Chef's Knife 20 cm", category: 'home-kitchen', price: usd(7999), stockQuantity: 28, description: 'Stainless steel, full tang.' },
  { sku: 'HOME-MUG-SET', name: 'Stoneware Mug Set (4)', category: 'home-kitchen', price: usd(2999), stockQuantity: 90, description: 'Dishwasher safe.' },
  { sku: 'HOME-SCALE-01', name: 'Kitchen Scale', category: 'home-kitchen', price: usd(1999), stockQuantity: 0, description: 'Precision to 1 g. Back soon.' },
  { sku: 'SPORT-YOGA-MAT', name: 'Yoga Mat', category: 'sports', price: usd(2999), stockQuantity: 100, description: '6 mm, non-slip.' },
  { sku: 'SPORT-BOTTLE-01', name: 'Insulated Water Bottle', category: 'sports', price: usd(2499), stockQuantity: 150, description: '750 ml, keeps cold 24 h.' },
  { sku: 'SPORT-DUMBBELL-10', name: 'Adjustable Dumbbell 10 kg', category: 'sports', price: usd(8999), stockQuantity: 12, description: 'Quick-change weight plates.' },
  { sku: 'SPORT-ROPE-01', name: 'Speed Jump Rope', category: 'sports', price: usd(1499), stockQuantity: 70, description: 'Ball-bearing handles.' },
  { sku: 'SPORT-BAND-SET', name: 'Resistance Band Set', category: 'sports', price: usd(1999), stockQuantity: 65, description: 'Five resistance levels.' },
  { sku: 'SPORT-RUN-BELT', name: 'Running Belt', category: 'sports', price: usd(1799), stockQuantity: 40, description: 'Fits phones up to 6.9".' },
];

const SEEDER: Caller = { sub: 'seed', roles: ['admin'] };

/** Creates the demo products that do not exist yet; returns how many were created. */
export async function seedDemoProducts(deps: CatalogDependencies): Promise<number> {
  let created = 0;
  for (const product of DEMO_PRODUCTS) {
    try {
      await createProduct(deps, SEEDER, product);
      created += 1;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return created;
}
