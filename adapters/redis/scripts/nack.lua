-- Makes deliveries due for redelivery after a delay, or after the subscription's backoff.
-- KEYS[1] stream, KEYS[2] due sorted set, KEYS[3] subscription meta hash
-- ARGV[1] group, ARGV[2] ready channel, ARGV[3] delay ms or '' for the backoff,
-- then pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 done (or already settled), 0 superseded receipt;
--   or {1} when the subscription does not exist.
if redis.call('EXISTS', KEYS[3]) == 0 then return {1} end
local group, delay = ARGV[1], tonumber(ARGV[3])
local minBackoff = tonumber(redis.call('HGET', KEYS[3], 'minBackoffMs'))
local maxBackoff = tonumber(redis.call('HGET', KEYS[3], 'maxBackoffMs'))
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local result, dueNow = {0}, false
for i = 4, #ARGV, 2 do
  local id, attempt = ARGV[i], tonumber(ARGV[i + 1])
  local pending = redis.call('XPENDING', KEYS[1], group, id, id, 1)[1]
  if pending and pending[4] ~= attempt then
    result[#result + 1] = 0
  else
    if pending then
      local wait = delay or math.min(maxBackoff, minBackoff * 2 ^ (attempt - 1))
      redis.call('ZADD', KEYS[2], 'XX', now + wait, id)
      if wait == 0 then dueNow = true end
    end
    result[#result + 1] = 1
  end
end
if dueNow then redis.call('PUBLISH', ARGV[2], '') end
return result
