-- Leases the messages a consumer read but no lease.lua call leased (its gateway died in between):
-- each such delivery falls due at once, as if its lease had ended (with ordering on, it first holds
-- its key, or is parked behind the message holding it). Housekeeping pages through the deliveries
-- older than the ack deadline, of which only these are missing from the due set.
-- @include lib/leasing.lua
-- ARGV[5] where the page starts ('-', or '(' and the last id of the previous page), ARGV[6] page size
-- Returns {0, orphans leased, the last id of a full page or '' after the last page}.
local size = tonumber(ARGV[6])
local page = redis.call('XPENDING', stream, group, 'IDLE', tonumber(setting('ackDeadlineMs')), ARGV[5], '+', size)
local due, orphans = {}, 0
for _, entry in ipairs(page) do
  local id, consumer = entry[1], entry[2]
  -- A delivery count of 0 is a parked message: never delivered, and waiting for its key.
  if entry[4] > 0 and not redis.call('ZSCORE', dueSet, id) then
    orphans = orphans + 1
    local fields = ordered and entryFields(id)
    if fields and parkedBehindKey(id, field(fields, 'k') or '') then
      keepUndelivered(consumer, { id })
    else
      due[#due + 1] = now
      due[#due + 1] = id
    end
  end
end
if #due > 0 then
  redis.call('ZADD', dueSet, unpack(due))
  redis.call('PUBLISH', channel, '')
end
return {0, orphans, #page == size and page[#page][1] or ''}
