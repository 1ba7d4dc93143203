#ifndef CIRCLES_CHIREDIS_SHIM_H
#define CIRCLES_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#endif
