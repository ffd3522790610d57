-- Stages a transaction: messages for any topics and receipts to acknowledge, invisible until commit.
-- @include lib/transaction.lua
-- ARGV[ownArgs] transaction id, +1 timeout ms, +2 topic names (space separated), +3 subscription names,
-- +4 message count, +5 ack count, then the messages, then the acks (see lib/transaction.lua)
-- Returns {0, expiry ms}, or {1, 'topic' or 'subscription', name} when one does not exist.
local id, timeout = ARGV[ownArgs], tonumber(ARGV[ownArgs + 1])
-- Prepare is idempotent: a known id answers as it stands.
if redis.call('EXISTS', record) == 1 then return {0, tonumber(redis.call('HGET', record, 'expiresMs'))} end
for i, t in ipairs(topics) do
  if redis.call('EXISTS', t.meta) == 0 then return {1, 'topic', words(ARGV[ownArgs + 2])[i]} end
end
for j = 1, subscriptionCount do
  if not subscriptions[j] then return {1, 'subscription', subscriptionNames[j]} end
end
local expires = nowMs() + timeout
local messageCount, ackCount = tonumber(ARGV[ownArgs + 4]), tonumber(ARGV[ownArgs + 5])
local first = ownArgs + 6
-- The last message's values end where the acks begin: 3 values per ack at the end of ARGV.
local messagesEnd = #ARGV - 3 * ackCount
for from = first, messagesEnd, 1000 do
  redis.call('RPUSH', stagedMessages, unpack(ARGV, from, math.min(from + 999, messagesEnd)))
end
if ackCount > 0 then redis.call('RPUSH', stagedAcks, unpack(ARGV, messagesEnd + 1, #ARGV)) end
-- While prepared, the staged receipts' leases last until the transaction expires; if it expires
-- unfinished, they come again as after a nack.
for _, ack in ipairs(stagedAckList()) do
  local s = subscriptions[ack.subscription]
  if s.currentAttempt(ack.id) == ack.attempt then
    redis.call('ZADD', s.dueSet, 'XX', expires + s.backoff(ack.attempt), ack.id)
    redis.call('HSET', s.whySet, ack.id, 'nack')
  end
end
redis.call('HSET', record, 'id', id, 'state', 'prepared', 'expiresMs', expires, 'topics', ARGV[ownArgs + 2],
  'subscriptions', ARGV[ownArgs + 3], 'messages', messageCount)
redis.call('ZADD', deadlines, expires, id)
return {0, expires}
