-- Dead-letters deliveries at once.
-- @include lib/subscription.lua
-- ARGV[5] reason, ARGV[6], ARGV[7] the smallest and largest message id, ARGV[8..] pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 done (or already settled), 0 invalid receipt (see settleReceipts).
local reason = ARGV[5]
return settleReceipts(6, function(id, attempt)
  local fields = entryFields(id)
  if fields then deadLetter(id, fields, attempt, reason) else settle(id, nil) end
end)
