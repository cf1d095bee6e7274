function request()
  return wrk.format("POST", "/bench/bare", {["Authorization"] = "Bearer x"}, nil)
end
