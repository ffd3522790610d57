-- Leases the new messages the store has just read for a consumer (XREADGROUP, after receive.lua), in
-- publish order. A message this consumer no longer holds (a seek came in between) is skipped. With
-- ordering on, one whose key another message holds is parked behind it. Those from ARGV[6] on did
-- not fit the consumer's byte budget (the topic's largest payload grew after receive.lua): each is
-- parked holding its own key, due at once, so that the next receive delivers it first.
-- A gateway that dies between the read and this script leaves its reads unleased: lease-orphans.lua
-- finds them.
-- @include lib/leasing.lua
-- ARGV[5] consumer, ARGV[6] how many of the messages fit, ARGV[7], ARGV[8] the smallest and largest
-- id, ARGV[9..] per message: id, ordering key ('' none), '1' when it was redriven ('' not)
-- Returns {0, lease deadline ms, next due ms or -1, then per message its delivery reason, '' when
--   it is not delivered}.
local consumer, fitting = ARGV[5], tonumber(ARGV[6])
local held = {}
for _, entry in ipairs(redis.call('XPENDING', stream, group, ARGV[7], ARGV[8], (#ARGV - 8) / 3, consumer)) do
  held[entry[1]] = entry[4] == 1
end

local result, leased, returned = {0, deadline, -1}, {}, {}
for i = 9, #ARGV, 3 do
  local id, index = ARGV[i], (i - 6) / 3
  local reason = ''
  if held[id] then
    local parked = parkedBehindKey(id, ARGV[i + 1])
    if parked or index > fitting then
      returned[#returned + 1] = id
      if not parked then
        leased[#leased + 1] = now
        leased[#leased + 1] = id
      end
    else
      reason = firstReason(id, ARGV[i + 2] == '1')
      leased[#leased + 1] = deadline + backoff(1)
      leased[#leased + 1] = id
    end
  end
  result[#result + 1] = reason
end
keepUndelivered(consumer, returned)
result[3] = recordLeases(leased)
return result
