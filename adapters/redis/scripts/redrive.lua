-- Appends a dead letter back to its source topic as a new message that remembers where it came from.
-- KEYS[1] source topic meta hash, KEYS[2] source stream
-- ARGV[1] source ready channel, ARGV[2] original id, ARGV[3..] the message's fields (d, k, tp, ts, a:*)
-- Returns {0, new id} or {1} when the source topic no longer exists.
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
local id = redis.call('XADD', KEYS[2], '*', 'o', ARGV[2], 'rd', '1', unpack(ARGV, 3))
for i = 3, #ARGV, 2 do
  if ARGV[i] == 'd' and #ARGV[i + 1] > tonumber(redis.call('HGET', KEYS[1], 'maxPayload') or '0') then
    redis.call('HSET', KEYS[1], 'maxPayload', #ARGV[i + 1])
  end
end
redis.call('PUBLISH', ARGV[1], '')
return {0, id}
