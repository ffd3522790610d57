-- Counts of one subscription.
-- @include lib/subscription.lua
-- Returns {0, backlog, in flight, oldest unsettled id or '', dead-lettered}.
local cursor, lag = lastDelivered()
local parked = tonumber(setting('parked') or '0')
if not lag then
  -- Redis cannot tell after deletions inside the range: count.
  lag = 0
  local from = '(' .. cursor
  while true do
    local batch = redis.call('XRANGE', stream, from, '+', 'COUNT', 1000)
    lag = lag + #batch
    if #batch < 1000 then break end
    from = '(' .. batch[#batch][1]
  end
end
local summary = redis.call('XPENDING', stream, group)
local oldest = summary[2]
local undelivered = redis.call('XRANGE', stream, '(' .. cursor, '+', 'COUNT', 1)[1]
if undelivered and (not oldest or idLess(undelivered[1], oldest)) then oldest = undelivered[1] end
return {0, lag + parked, summary[1] - parked, oldest or '', tonumber(setting('deadLettered') or '0')}
