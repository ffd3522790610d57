-- Dead-letters deliveries at once.
-- @include lib/subscription.lua
-- ARGV[6] reason, ARGV[7..] pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 done (or already settled), 0 superseded receipt.
local reason = ARGV[6]
return settleReceipts(7, function(id, attempt)
  local fields = entryFields(id)
  if fields then deadLetter(id, fields, attempt, reason) else settle(id, nil) end
end)
