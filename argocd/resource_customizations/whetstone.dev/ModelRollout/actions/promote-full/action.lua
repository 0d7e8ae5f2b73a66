-- Skips the remaining steps: the canary takes all traffic and becomes stable.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["whetstone.dev/promote"] = "full"
return obj
