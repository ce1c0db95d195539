// The one list of notification channel types. Adding a channel: one file exporting a ChannelDefinition,
// one line here. Nothing else branches on a channel's type.
import type { ChannelDefinition } from './types';
import { email } from './email';
import { ntfy } from './ntfy';
import { pagerduty } from './pagerduty';
import { slack } from './slack';
import { teams } from './teams';
import { telegram } from './telegram';
import { webhook } from './webhook';

export type AnyChannel = ChannelDefinition;

/** A registry from a list; refuses two channels of one type. */
export function buildRegistry(list: readonly AnyChannel[]): ReadonlyMap<string, AnyChannel> {
  const registry = new Map<string, AnyChannel>();
  for (const channel of list) {
    if (registry.has(channel.type))
      throw new Error(`notification channel type '${channel.type}' listed twice`);
    registry.set(channel.type, channel);
  }
  return registry;
}

export const CHANNELS: ReadonlyMap<string, AnyChannel> = buildRegistry([
  email,
  slack,
  teams,
  webhook,
  pagerduty,
  telegram,
  ntfy,
]);

export function channelFor(type: string): AnyChannel {
  const channel = CHANNELS.get(type);
  if (!channel) throw new Error(`unknown notification channel type '${type}'`);
  return channel;
}
