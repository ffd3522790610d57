-- Moves the subscription's cursor: messages before the target settled, the target and later ones
-- undelivered. In-flight deliveries, parked messages and key holders are forgotten.
-- @include lib/subscription.lua
-- ARGV[5] the target id, ARGV[6] the id just before it
-- Returns {0}.
local cursor = lastDelivered()
local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
-- Past every message: the cursor goes to the end, so what is published next is delivered.
local newCursor = ARGV[6]
if not last or idLess(last[1], ARGV[5]) then newCursor = '$' end
-- Remember how far delivery had got, so that what comes again is delivered with reason 'seek'.
local seekUntil = setting('seekUntil')
if not seekUntil or idLess(seekUntil, cursor) then redis.call('HSET', subMeta, 'seekUntil', cursor) end
while true do
  local pending = redis.call('XPENDING', stream, group, '-', '+', 1000)
  if #pending == 0 then break end
  local ids = {}
  for i, entry in ipairs(pending) do ids[i] = entry[1] end
  redis.call('XACK', stream, group, unpack(ids))
end
-- Parked messages were never delivered: when they come again it is their first delivery.
for _, sha in ipairs(redis.call('HKEYS', holders)) do
  local parked = redis.call('LRANGE', parkedPrefix .. sha, 0, -1)
  if #parked > 0 then redis.call('SADD', unseen, unpack(parked)) end
  redis.call('DEL', parkedPrefix .. sha)
end
for _, id in ipairs(redis.call('ZRANGE', dueSet, 0, -1)) do
  if currentAttempt(id) == 0 then redis.call('SADD', unseen, id) end
end
redis.call('DEL', dueSet, whySet, notes, holders)
redis.call('HSET', subMeta, 'parked', 0)
redis.call('XGROUP', 'SETID', stream, group, newCursor)
redis.call('PUBLISH', channel, '')
return {0}
