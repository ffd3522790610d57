-- Commits a transaction in one atomic step: every staged message appended, every staged receipt
-- acknowledged; or, when anything no longer holds, aborted with nothing applied.
-- @include lib/transaction.lua
-- Returns {0, id1, id2, ...} committed (also on a repeat), {1} unknown transaction,
-- {2, reason} aborted (now or before).
local state = redis.call('HGET', record, 'state')
if not state then return {1} end
if state == 'committed' then return {0, unpack(words(redis.call('HGET', record, 'ids')))} end
if state == 'aborted' then return {2, redis.call('HGET', record, 'reason')} end

local function refuse(reason)
  abortTransaction(reason)
  return {2, reason}
end
if nowMs() > tonumber(redis.call('HGET', record, 'expiresMs')) then return refuse('expired') end
local topicNames = words(redis.call('HGET', record, 'topics'))
for i, t in ipairs(topics) do
  if redis.call('EXISTS', t.meta) == 0 then return refuse('topic ' .. topicNames[i] .. ' was deleted') end
end
local acks = stagedAckList()
for _, ack in ipairs(acks) do
  local s = subscriptions[ack.subscription]
  if not s then return refuse('subscription ' .. subscriptionNames[ack.subscription] .. ' was deleted') end
  if s.currentAttempt(ack.id) ~= ack.attempt then
    return refuse('receipt of message ' .. ack.id .. ' in subscription ' .. subscriptionNames[ack.subscription] .. ' is no longer current')
  end
end
local values = redis.call('LRANGE', stagedMessages, 0, -1)
local messages = parseMessages(values, 1, tonumber(redis.call('HGET', record, 'messages')))
local conflict = resolveKeys(messages, topics)
if conflict then return refuse('the idempotency key of message ' .. (conflict - 1) .. ' was used for other content') end

local ids = appendMessages(messages, values, topics)
for _, ack in ipairs(acks) do
  local s = subscriptions[ack.subscription]
  s.settle(ack.id, s.entryFields(ack.id))
end
finish('state', 'committed', 'ids', table.concat(ids, ' '))
return {0, unpack(ids)}
