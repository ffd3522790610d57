-- Appends dead letters from a subscription's outbox (see lib/subscription-core.lua) to its dead-letter
-- topic, each at most once: an entry's marker (a digest of subscription and outbox entry id) is kept
-- like an idempotency key, so forwarding the same entry again (after a crash before the outbox entry
-- was deleted) appends nothing.
-- KEYS[1] dead-letter topic meta hash, KEYS[2] its stream
-- ARGV[1] its idempotency bucket prefix, ARGV[2] its ready channel, ARGV[3] entry count n, then per
--   entry: marker (16 bytes), field value count f, then f values (field name, value, ...)
-- Returns {0, appended} or {1} when the dead-letter topic does not exist (the entries are dropped).
-- @include lib/messages.lua
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
local t = idempotencyBuckets({ meta = KEYS[1], prefix = ARGV[1] }, nowMs())
local pos, appended, largest = 4, 0, 0
for _ = 1, tonumber(ARGV[3]) do
  local marker, count = ARGV[pos], tonumber(ARGV[pos + 1])
  local fields = { unpack(ARGV, pos + 2, pos + 1 + count) }
  pos = pos + 2 + count
  if not (redis.call('HEXISTS', t.current, marker) == 1 or redis.call('HEXISTS', t.previous, marker) == 1) then
    -- The value has the layout of an idempotency entry: 8 bytes where a content hash goes, then the id.
    redis.call('HSET', t.current, marker, 'deadlttr' .. redis.call('XADD', KEYS[2], '*', unpack(fields)))
    appended = appended + 1
    largest = math.max(largest, #(field(fields, 'd') or ''))
  end
end
if appended > 0 then
  if largest > tonumber(redis.call('HGET', KEYS[1], 'maxPayload') or '0') then redis.call('HSET', KEYS[1], 'maxPayload', largest) end
  redis.call('PEXPIREAT', t.current, t.expiresAt)
  redis.call('PUBLISH', ARGV[2], '')
end
return {0, appended}
