-- Which receipts still name the current delivery of an unsettled message.
-- @include lib/subscription.lua
-- ARGV[5..] pairs of message id and attempt
-- Returns {0, f1, f2, ...} with f = 1 in flight under that attempt, 0 otherwise.
local result = {0}
for i = 5, #ARGV, 2 do
  result[#result + 1] = currentAttempt(ARGV[i]) == tonumber(ARGV[i + 1]) and 1 or 0
end
return result
