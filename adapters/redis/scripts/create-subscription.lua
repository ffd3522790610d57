-- Creates a subscription: its consumer group on the topic's stream and its settings hash.
-- KEYS[1] topic meta hash, KEYS[2] stream, KEYS[3] the topic's subscriptions sorted set,
-- KEYS[4] subscription meta hash
-- ARGV[1] name, ARGV[2] start id ('0' earliest, '$' latest), then field/value pairs of settings
-- Returns {0} created, {1} unknown topic, {2} the subscription exists.
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
if redis.call('EXISTS', KEYS[4]) == 1 then return {2} end
redis.call('XGROUP', 'CREATE', KEYS[2], ARGV[1], ARGV[2], 'MKSTREAM')
redis.call('HSET', KEYS[4], unpack(ARGV, 3))
-- Where the group started: messages up to here were never delivered by it (see seek).
for _, info in ipairs(redis.call('XINFO', 'GROUPS', KEYS[2])) do
  if info[2] == ARGV[1] then
    for i = 1, #info, 2 do
      if info[i] == 'last-delivered-id' then redis.call('HSET', KEYS[4], 'startedAfter', info[i + 1]) end
    end
  end
end
redis.call('ZADD', KEYS[3], 0, ARGV[1])
return {0}
