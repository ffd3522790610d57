-- Moves the subscription's cursor: messages before the target settled, the target and later ones
-- undelivered. In-flight deliveries, parked messages and key holders are forgotten.
-- @include lib/subscription.lua
-- ARGV[6] the id just before the target (the group's new last-delivered id)
-- Returns {0}.
local cursor = lastDelivered()
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
for _, sha in ipairs(redis.call('HKEYS', holders)) do redis.call('DEL', parkedPrefix .. sha) end
redis.call('DEL', dueSet, whySet, notes, holders)
redis.call('HSET', subMeta, 'parked', 0)
redis.call('XGROUP', 'SETID', stream, group, ARGV[6])
redis.call('PUBLISH', channel, '')
return {0}
