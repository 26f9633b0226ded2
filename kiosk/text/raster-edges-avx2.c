/* raster-edges-avx2.c - the edge engine of raster-edges.c again, built with -mavx2 (see
 * raster-edges.h and CMakeLists.txt): raster_edges_avx2. */
#define RASTER_EDGES_BUILD_AVX2 1
#include "raster-edges.c"
