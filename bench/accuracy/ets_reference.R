# Reference fits with R's forecast::ets, ETS(A,Ad,A) with frequency 7, on the series of a
# date,store,item,sales CSV (no missing days): holdout MASE/sMAPE/coverage and CPU seconds per
# fit, scored exactly as forecast-train scores (clamped at 0, MASE scaled by the in-sample
# seasonal-naive MAE).
# usage: Rscript ets_reference.R SALES.csv HOLDOUT_DAYS OUT.csv
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript ets_reference.R SALES.csv HOLDOUT_DAYS OUT.csv")
suppressPackageStartupMessages(library(forecast))
data <- read.csv(args[1], colClasses = c("character", "character", "character", "numeric"))
h <- as.integer(args[2])
keys <- unique(data[, c("store", "item")])
rows <- vector("list", nrow(keys))
for (k in seq_len(nrow(keys))) {
  d <- data[data$store == keys$store[k] & data$item == keys$item[k], ]
  d <- d[order(d$date), ]
  y <- d$sales
  n <- length(y)
  train <- y[1:(n - h)]
  test <- y[(n - h + 1):n]
  t0 <- proc.time()
  fit <- ets(ts(train, frequency = 7), model = "AAA", damped = TRUE)
  cpu <- sum((proc.time() - t0)[c("user.self", "sys.self")])
  fc <- forecast(fit, h = h, level = 80)
  mean <- pmax(0, as.numeric(fc$mean))
  lo <- pmax(0, as.numeric(fc$lower))
  hi <- pmax(0, as.numeric(fc$upper))
  scale <- mean(abs(diff(train, lag = 7)))
  denom <- abs(test) + abs(mean)
  rows[[k]] <- data.frame(
    store = keys$store[k], item = keys$item[k],
    mase = mean(abs(test - mean)) / scale,
    smape = mean(ifelse(denom > 0, 200 * abs(test - mean) / denom, 0)),
    coverage80 = mean(test >= lo & test <= hi),
    cpu_seconds = cpu,
    alpha = unname(fit$par["alpha"]), beta = unname(fit$par["beta"]),
    gamma = unname(fit$par["gamma"]), phi = unname(fit$par["phi"]),
    loglik = fit$loglik
  )
}
write.csv(do.call(rbind, rows), args[3], row.names = FALSE)
