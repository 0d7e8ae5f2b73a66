-- Suspends the job: the operator stops its worker, which writes a checkpoint first.
if obj.spec.runPolicy == nil then
  obj.spec.runPolicy = {}
end
obj.spec.runPolicy.suspend = true
return obj
