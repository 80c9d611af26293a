import type { Channel } from '../keys/index.js';

const CHANNEL_TAGS: Record<Channel, string> = {
  retail: 'RTL',
  oem: 'OEM',
  mak: 'MAK',
  volume_client: 'VLC',
  volume_host: 'VLH',
  time_based: 'TBL',
};

/**
 * The extended product ID of an activation: SKU code, channel, serial and activation date (UTC),
 * as the activation service writes it, e.g. `00101-MAK-0000000003-20250110`.
 */
export function extendedProductId(
  key: { readonly channel: Channel; readonly skuCode: number; readonly serial: number },
  activatedAt: number,
): string {
  const date = new Date(activatedAt).toISOString().slice(0, 10).replaceAll('-', '');
  const sku = String(key.skuCode).padStart(5, '0');
  const serial = String(key.serial).padStart(10, '0');
  return `${sku}-${CHANNEL_TAGS[key.channel] ?? 'UNK'}-${serial}-${date}`;
}
