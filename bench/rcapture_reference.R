# How tests/data/mse/rcapture_reference.json was made: the reference packages, run on our tables.
#
#   python bench/bench_estimate.py --export-csv /tmp/mse     # one CSV per table, every cell
#   Rscript bench/rcapture_reference.R /tmp/mse > lines.jsonl
#
# Made with R 4.2.2, Rcapture 1.4-4, SparseMSE 2.0.1 (lpSolve 5.6.23). Prints one JSON object
# per line: for 3-5 lists the lowest-AIC and lowest-BIC models of closedpMS.t (every
# hierarchical model) with closedpCI.t's profile interval; for every table the independence
# model and SparseMSE's stepwisefit (pthresh 0.02), with closedpCI.t's interval for its model.
suppressMessages({library(Rcapture); library(SparseMSE)})
dir <- commandArgs(TRUE)[1]
num <- function(x) if (is.numeric(x) && is.finite(x)) sprintf("%.6f", x) else sprintf('"%s"', x)
ci3 <- function(ci) sprintf("[%s,%s,%s]", num(ci[1, 1]), num(ci[1, 2]), num(ci[1, 3]))
for (file in sort(list.files(dir, pattern = "\\.csv$", full.names = TRUE))) {
  name <- sub("\\.csv$", "", basename(file))
  X <- as.matrix(read.csv(file))
  k <- ncol(X) - 1
  if (k <= 5) {
    ms <- closedpMS.t(X, dfreq = TRUE)
    r <- ms$results
    clean <- r[r[, "infoFit"] == 0, , drop = FALSE]
    for (crit in c("AIC", "BIC")) {
      # The lowest of all, and (when R flagged that fit) the lowest of the fits R flagged
      # nothing in: infoFit 0.
      for (pool in c("all", "clean")) {
        tab <- if (pool == "all") r else clean
        best <- rownames(tab)[which.min(tab[, crit])]
        if (pool == "clean" && r[best, "infoFit"] == 0 && best == rownames(r)[which.min(r[, crit])])
          next
        label <- if (pool == "all") crit else paste(crit, "among fits without warnings")
        ci <- closedpCI.t(X, dfreq = TRUE, mX = best)$CI
        cat(sprintf(paste0('{"table":"%s","reference":"Rcapture closedpMS.t, lowest %s",',
                           '"model":"%s","models":%d,"estimate":%s,"deviance":%s,"df":%d,',
                           '"aic":%s,"bic":%s,"info_fit":%d,"profile":%s}\n'),
                    name, label, best, nrow(r), num(r[best, "abundance"]),
                    num(r[best, "deviance"]), as.integer(r[best, "df"]), num(r[best, "AIC"]),
                    num(r[best, "BIC"]), as.integer(r[best, "infoFit"]), ci3(ci)))
      }
    }
  }
  ind <- closedpCI.t(X, dfreq = TRUE, mX = ~ .)
  cat(sprintf(paste0('{"table":"%s","reference":"Rcapture closedpCI.t, independence",',
                     '"model":"independence","estimate":%s,"deviance":%s,"df":%d,"aic":%s,',
                     '"profile":%s}\n'),
              name, num(ind$results[1, "abundance"]), num(ind$results[1, "deviance"]),
              as.integer(ind$results[1, "df"]), num(ind$results[1, "AIC"]), ci3(ind$CI)))
  z <- as.data.frame(X)
  z <- z[z$freq > 0, ]
  sw <- stepwisefit(z, pthresh = 0.02)
  terms <- c(grep(":", names(coef(sw$fit)), value = TRUE), colnames(sw$emptyoverlaps))
  form <- if (length(terms)) as.formula(paste("~ . +", paste(terms, collapse = " + "))) else ~ .
  ci <- closedpCI.t(X, dfreq = TRUE, mX = form)
  cat(sprintf(paste0('{"table":"%s","reference":"SparseMSE stepwisefit, pthresh 0.02",',
                     '"model":"%s","estimate":%s,"deviance":%s,"df":%d,"aic":%s,"profile":%s}\n'),
              name, paste(terms, collapse = "+"), num(sum(z$freq) + exp(coef(sw$fit)[[1]])),
              num(ci$results[1, "deviance"]), as.integer(ci$results[1, "df"]),
              num(ci$results[1, "AIC"]), ci3(ci$CI)))
}
