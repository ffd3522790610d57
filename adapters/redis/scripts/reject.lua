-- Dead-letters deliveries at once.
-- @include lib/subscription.lua
-- ARGV[6] reason, ARGV[7..] pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 done (or already settled), 0 superseded receipt.
local reason = ARGV[6]
local result = {0}
for i = 7, #ARGV, 2 do
  local id, attempt = ARGV[i], tonumber(ARGV[i + 1])
  local current = currentAttempt(id)
  if current and current ~= attempt then
    result[#result + 1] = 0
  else
    if current then
      local fields = entryFields(id)
      if fields then deadLetter(id, fields, current, reason) else settle(id, nil) end
    end
    result[#result + 1] = 1
  end
end
return result
