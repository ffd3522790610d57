-- A transaction's keys and the steps its scripts share. Every transaction script takes:
-- KEYS[1] record hash, KEYS[2] staged messages list, KEYS[3] staged acks list,
-- KEYS[4] deadlines sorted set (prepared transaction id -> expiry ms),
-- then per topic (ARGV[2] of them) its meta hash and stream,
-- then per subscription (ARGV[3] of them) its 10 keys in lib/subscription-core.lua's order;
-- ARGV[1] how long (ms) a finished transaction is remembered, ARGV[2] topic count,
-- ARGV[3] subscription count, then per topic its idempotency key prefix and ready channel,
-- then per subscription its 4 names; the script's own arguments start at ARGV[ownArgs].
-- Staged messages are laid out as lib/messages.lua says (topic index into this topic list);
-- staged acks as triples: subscription index, message id, attempt.
-- @include lib/subscription-core.lua
-- @include lib/messages.lua
local record, stagedMessages, stagedAcks, deadlines = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local finishedTtl, topicCount, subscriptionCount = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local topics, subscriptions, subscriptionNames = {}, {}, {}
for i = 1, topicCount do
  topics[i] = { meta = KEYS[3 + 2 * i], stream = KEYS[4 + 2 * i], prefix = ARGV[2 + 2 * i], channel = ARGV[3 + 2 * i] }
end
for j = 1, subscriptionCount do
  local keyBase, nameBase = 4 + 2 * topicCount + 10 * (j - 1), 3 + 2 * topicCount + 4 * (j - 1)
  subscriptionNames[j] = ARGV[nameBase + 1]
  -- false when the subscription does not exist (any more)
  subscriptions[j] = bindSubscription({ unpack(KEYS, keyBase + 1, keyBase + 10) }, { unpack(ARGV, nameBase + 1, nameBase + 4) }) or false
end
local ownArgs = 4 + 2 * topicCount + 4 * subscriptionCount

local function stagedAckList()
  local values, acks = redis.call('LRANGE', stagedAcks, 0, -1), {}
  for i = 1, #values, 3 do
    acks[#acks + 1] = { subscription = tonumber(values[i]), id = values[i + 1], attempt = tonumber(values[i + 2]) }
  end
  return acks
end

-- The transaction is over: its staged data goes, its record is remembered for finishedTtl.
local function finish(...)
  redis.call('DEL', stagedMessages, stagedAcks)
  redis.call('ZREM', deadlines, redis.call('HGET', record, 'id'))
  redis.call('HSET', record, ...)
  redis.call('PEXPIRE', record, finishedTtl)
end

-- Drops the staged messages; receipts still current fall due after their backoff, as after a nack.
local function abortTransaction(reason)
  local now = nowMs()
  for _, ack in ipairs(stagedAckList()) do
    local s = subscriptions[ack.subscription]
    if s and s.currentAttempt(ack.id) == ack.attempt then
      redis.call('ZADD', s.dueSet, 'XX', now + s.backoff(ack.attempt), ack.id)
      redis.call('HSET', s.whySet, ack.id, 'nack')
    end
  end
  finish('state', 'aborted', 'reason', reason)
end
