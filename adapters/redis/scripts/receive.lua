-- Leases messages of one subscription to one consumer: due redeliveries first, then new messages.
-- KEYS[1] stream, KEYS[2] due sorted set, KEYS[3] topic meta hash, KEYS[4] subscription meta hash
-- ARGV[1] group (subscription name), ARGV[2] consumer, ARGV[3] max messages,
-- ARGV[4] max payload bytes, ARGV[5] '1' when the first delivery may exceed the bytes alone
-- Returns {0, lease deadline ms, next due ms or -1, then per delivery: id, attempt, fields}
--   or {1} when the subscription does not exist.
if redis.call('EXISTS', KEYS[4]) == 0 then return {1} end
local group, consumer = ARGV[1], ARGV[2]
local wanted, budget = tonumber(ARGV[3]), tonumber(ARGV[4])
local oversizedAllowed = ARGV[5] == '1'
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local deadline = now + tonumber(redis.call('HGET', KEYS[4], 'ackDeadlineMs'))
-- No stored payload is larger than this, so reading floor(budget / largest) entries cannot overshoot.
local largest = tonumber(redis.call('HGET', KEYS[3], 'maxPayload') or '0')

local result, count, leased, full = {0, deadline, -1}, 0, {}, false
local function take(id, attempt, fields, size)
  result[#result + 1] = id
  result[#result + 1] = attempt
  result[#result + 1] = fields
  count = count + 1
  budget = budget - size
  leased[#leased + 1] = deadline
  leased[#leased + 1] = id
end
local function fits(size)
  return size <= budget or (oversizedAllowed and count == 0)
end
local function payloadSize(fields)
  for i = 1, #fields, 2 do
    if fields[i] == 'd' then return #fields[i + 1] end
  end
  return 0
end

-- Due redeliveries: the attempt is one more than the deliveries Redis counted so far.
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, wanted)
for _, id in ipairs(due) do
  local entry = redis.call('XRANGE', KEYS[1], id, id)[1]
  local pending = redis.call('XPENDING', KEYS[1], group, id, id, 1)[1]
  if not entry or not pending then
    -- Trimmed, deleted or settled meanwhile: nothing left to deliver.
    redis.call('XACK', KEYS[1], group, id)
    redis.call('ZREM', KEYS[2], id)
  else
    local size = payloadSize(entry[2])
    if not fits(size) then
      -- Order is kept: nothing behind a redelivery that does not fit is delivered either.
      full = true
      break
    end
    local attempt = pending[4] + 1
    redis.call('XCLAIM', KEYS[1], group, consumer, 0, id, 'RETRYCOUNT', attempt, 'JUSTID')
    take(id, attempt, entry[2], size)
  end
end

-- Where the group's cursor stands (only needed to look ahead without reading).
local function lastDelivered()
  for _, info in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
    local fields = {}
    for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
    if fields['name'] == group then return fields['last-delivered-id'] end
  end
end

-- New messages, in publish order.
while count < wanted and not full do
  local n = wanted - count
  if largest > 0 and math.floor(budget / largest) < n then
    n = math.floor(budget / largest)
    if n < 1 then
      -- The budget is below the largest payload: count what fits before reading anything.
      local ahead, room, first = redis.call('XRANGE', KEYS[1], '(' .. lastDelivered(), '+', 'COUNT', wanted - count), budget, count == 0
      for _, entry in ipairs(ahead) do
        local size = payloadSize(entry[2])
        if not (size <= room or (oversizedAllowed and first)) then break end
        room, first, n = room - size, false, n + 1
      end
    end
  end
  if n < 1 then break end
  local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', n, 'STREAMS', KEYS[1], '>')
  if not read then break end
  local entries = read[1][2]
  for _, entry in ipairs(entries) do
    take(entry[1], 1, entry[2], payloadSize(entry[2]))
  end
  if #entries < n then break end
end

if #leased > 0 then redis.call('ZADD', KEYS[2], unpack(leased)) end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if first[2] then result[3] = tonumber(first[2]) end
return result
