/* cityweave.h: umbrella header of the cityweave library.
 * SPDX-License-Identifier: MIT
 *
 * Include this one header to get the whole public API. Every function that
 * can fail returns a cw_status and leaves a one-line message in the context
 * (cw_ctx_errmsg); the library never prints and never exits.
 */
#ifndef CITYWEAVE_CITYWEAVE_H
#define CITYWEAVE_CITYWEAVE_H

#define CW_VERSION "0.1.0"

#include "cityweave/ctx.h"
#include "cityweave/table.h"
#include "cityweave/layer.h"
#include "cityweave/cities.h"
#include "cityweave/writer.h"
#include "cityweave/geodesic.h"
#include "cityweave/proximity.h"
#include "cityweave/centrality.h"
#include "cityweave/units.h"
#include "cityweave/network.h"
#include "cityweave/hull.h"
#include "cityweave/cluster.h"
#include "cityweave/raster.h"
#include "cityweave/degurba.h"
#include "cityweave/costdist.h"
#include "cityweave/coverage.h"
#include "cityweave/catchment.h"
#include "cityweave/popgrid.h"
#include "cityweave/patchconn.h"
#include "cityweave/green.h"
#include "cityweave/style.h"
#include "cityweave/map.h"

#endif
