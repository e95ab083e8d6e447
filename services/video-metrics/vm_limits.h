/* Thresholds from text: "name=value,name=value" (e.g. the ISIM_VM_THRESHOLDS
 * variable), names as in the JSON: face_present_min, pause_min_s, ... */
#ifndef ISIM_VM_LIMITS_H
#define ISIM_VM_LIMITS_H

#include <stddef.h>

#include "vm_camera.h"
#include "vm_voice.h"

/* Overrides the named thresholds in cam and voice (already holding their
 * defaults). Returns 0, or -1 with err naming the bad entry. */
int vm_limits_parse(const char *spec, vm_camera_limits *cam, vm_voice_limits *voice, char *err,
                    size_t errlen);

#endif
