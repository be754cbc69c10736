# R dbscan::hdbscan peer for bench/cluster.sh.
#
#   Rscript cluster_hdbscan.R POINTS.csv OUT.csv [MIN_PTS]
#
# Reads id,lon,lat (tests/data/geonames_20000.csv), turns each point into a
# unit vector on a sphere of radius 6371.0088 km (x, y, z in km) and runs
# dbscan::hdbscan(xyz, minPts = MIN_PTS) on that data matrix: Euclidean
# (chord) distances.  Chord = 2R sin(angle/2) is monotonic in the
# great-circle distance, so the k-nearest neighbours, the mutual-reachability
# MST and the merge order of the hierarchy are those of great circles; only
# the lambda = 1/distance values differ (chord/arc > 0.999 below 1,000 km),
# which could in principle change an excess-of-mass choice.  minPts is both
# the core-distance neighbour count (itself counted: kNN k = minPts - 1) and
# the smallest cluster, as cityweave's --min-cluster-size N with the default
# --min-samples N.  hdbscan() builds the full n(n-1)/2 distance and
# mutual-reachability dist objects (1.6 GB each at n = 20,000).
# Writes id,cluster (0 = noise in R; written as -1), in id order.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: cluster_hdbscan.R POINTS.csv OUT.csv [MIN_PTS]")
min_pts <- if (length(args) >= 3) as.integer(args[3]) else 5L
suppressPackageStartupMessages(library(dbscan))
R_KM <- 6371.0088
d <- read.csv(args[1], colClasses = c(id = "character"))
# Points in id order (ids as numbers), as cityweave ranks them: hdbscan()'s
# Prim scan starts at the first point and breaks ties of mutual
# reachability (frequent: a core distance is shared by every pair it
# dominates) to the lower index, so this order makes tied choices the same
# as cityweave's.  The output is in id order.
d <- d[order(as.numeric(d$id)), ]
lon <- d$lon * pi / 180
lat <- d$lat * pi / 180
xyz <- R_KM * cbind(cos(lat) * cos(lon), cos(lat) * sin(lon), sin(lat))
h <- hdbscan(xyz, minPts = min_pts)
cl <- h$cluster - 1L
write.csv(data.frame(id = d$id, cluster = cl), args[2], row.names = FALSE,
          quote = FALSE)
