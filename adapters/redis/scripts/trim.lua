-- Applies a topic's retention without removing anything a subscription has not settled, and removes
-- consumers of gone gateways once they hold nothing.
-- KEYS[1] topic meta hash, KEYS[2] stream
-- ARGV[1] idle time (ms) after which a consumer without pending entries is removed
-- Returns {0, entries removed} or {1} when the topic does not exist.
-- @include lib/common.lua
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
local stream = KEYS[2]
if redis.call('EXISTS', stream) == 0 then return {0, 0} end
local now = nowMs()

-- Eligible: older than the retention time, or beyond the newest retentionMessages.
local cut = (now - tonumber(redis.call('HGET', KEYS[1], 'retentionMs'))) .. '-0'
local keep = tonumber(redis.call('HGET', KEYS[1], 'retentionMessages') or '0')
if keep > 0 then
  local newest = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', keep)
  if #newest == keep and idLess(cut, newest[keep][1]) then cut = newest[keep][1] end
end

-- Never past what a subscription still needs: its oldest pending entry and its first undelivered one.
for _, info in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
  local group = {}
  for i = 1, #info, 2 do group[info[i]] = info[i + 1] end
  local oldestPending = redis.call('XPENDING', stream, group['name'])[2]
  if oldestPending and idLess(oldestPending, cut) then cut = oldestPending end
  local undelivered = redis.call('XRANGE', stream, '(' .. group['last-delivered-id'], '+', 'COUNT', 1)[1]
  if undelivered and idLess(undelivered[1], cut) then cut = undelivered[1] end
  for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', stream, group['name'])) do
    local c = {}
    for i = 1, #consumer, 2 do c[consumer[i]] = consumer[i + 1] end
    if c['pending'] == 0 and c['idle'] > tonumber(ARGV[1]) then
      redis.call('XGROUP', 'DELCONSUMER', stream, group['name'], c['name'])
    end
  end
end
return {0, redis.call('XTRIM', stream, 'MINID', cut)}
