-- Acknowledges deliveries of one subscription.
-- @include lib/subscription.lua
-- ARGV[6..] pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 settled (or already settled), 0 superseded receipt.
local result, settled = {0}, {}
for i = 6, #ARGV, 2 do
  local id, attempt = ARGV[i], tonumber(ARGV[i + 1])
  local current = currentAttempt(id)
  if current and current ~= attempt then
    result[#result + 1] = 0
  else
    if current then settled[#settled + 1] = id end
    result[#result + 1] = 1
  end
end
if #settled > 0 then
  redis.call('XACK', stream, group, unpack(settled))
  redis.call('ZREM', dueSet, unpack(settled))
  redis.call('HDEL', whySet, unpack(settled))
  redis.call('HDEL', notes, unpack(settled))
  if ordered then
    for _, id in ipairs(settled) do
      local fields = entryFields(id)
      if fields then releaseKey(id, fields) end
    end
  end
end
return result
