// Every Redis key Relay uses is built here. A topic's keys share the hash tag {topic}, so each script
// touches one cluster slot. Names are validated before they get here (no braces, colons or spaces);
// ordering keys, which are user text, enter key names only as their SHA-1 (in the scripts).

export const PREFIX = 'relay';

// The three registries that follow are single keys, each in a slot of its own on a Redis Cluster: only
// single commands write and read them, never a script with a topic's keys.

/** All topic names, in a sorted set scored 0 so ZRANGEBYLEX pages them in name order. */
export const topicIndex = `${PREFIX}:topics`;
/** All subscription names (sorted set, score 0), for listing in name order. */
export const subscriptionIndex = `${PREFIX}:subscriptions`;
/** subscription name -> topic name (hash), to find a subscription's slot. */
export const subscriptionTopics = `${PREFIX}:subscription-topics`;

export function topicKeys(topic: string) {
  const base = `${PREFIX}:{${topic}}`;
  return {
    /** Hash: the topic's settings and the largest payload it ever stored (maxPayload). */
    meta: `${base}:topic`,
    /** The stream of messages; one consumer group per subscription. */
    stream: `${base}:stream`,
    /** Sorted set (score 0): the topic's subscriptions in name order. */
    subscriptions: `${base}:subscriptions`,
    /** Hashes `${idempotencyPrefix}${bucket}` of idempotency key digests per dedup window (lib/messages.lua). */
    idempotencyPrefix: `${base}:idem:`,
    /** Pub/Sub channel told whenever messages may have become receivable. */
    channel: `${base}:ready`,
  };
}

export function subscriptionKeys(topic: string, subscription: string) {
  const base = `${PREFIX}:{${topic}}`;
  return {
    /** Hash: the subscription's settings and counters (deadLettered, parked, seekUntil). */
    meta: `${base}:sub:${subscription}`,
    /** Sorted set: in-flight message id -> the instant (ms) it falls due for redelivery. */
    due: `${base}:due:${subscription}`,
    /** Hash: message id -> why it falls due (nack, consumer-lost) when not by lease expiry. */
    why: `${base}:why:${subscription}`,
    /** Hash: in-flight message id -> the reason of its last nack. */
    notes: `${base}:notes:${subscription}`,
    /** Hash: dead-lettered message id -> "<attempts> <why>". */
    dead: `${base}:dead:${subscription}`,
    /**
     * Stream: dead letters settled here and not yet appended to the dead-letter topic, which may sit in
     * another cluster slot (scripts/forward-dead-letters.lua moves them).
     */
    deadLetters: `${base}:dead-letters:${subscription}`,
    /** Set: ids parked when the subscription last sought, which were never delivered. */
    unseen: `${base}:unseen:${subscription}`,
    /** Hash: SHA-1 of an ordering key -> the message holding the key (ordering on). */
    holders: `${base}:holders:${subscription}`,
    /** Lists `${parkedPrefix}${sha1}`: messages waiting for their key, in publish order. */
    parkedPrefix: `${base}:parked:${subscription}:`,
  };
}

/** Sorted set: prepared transaction id -> the instant (ms) it expires. Used by the transaction scripts (so not on a Cluster). */
export const transactionDeadlines = `${PREFIX}:transaction-deadlines`;

export function transactionKeys(id: string) {
  const base = `${PREFIX}:txn:{${id}}`;
  return {
    /** Hash: state, expiry, topic and subscription names, and the ids once committed. */
    record: base,
    /** List: the staged messages' values (see scripts/lib/messages.lua). */
    messages: `${base}:messages`,
    /** List: staged acks as subscription index, message id, attempt. */
    acks: `${base}:acks`,
  };
}
