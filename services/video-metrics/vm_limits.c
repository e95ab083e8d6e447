#include "vm_limits.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct limit_name {
    const char *name;
    int voice; /* 0: camera limits, 1: voice limits */
    size_t offset;
} limit_name;

#define CAM(f) {#f, 0, offsetof(vm_camera_limits, f)}
#define VOICE(f) {#f, 1, offsetof(vm_voice_limits, f)}

static const limit_name names[] = {
    CAM(face_present_min), CAM(multiple_faces_max), CAM(offset_max), CAM(size_min), CAM(size_max),
    CAM(facing_min), CAM(head_move_max), CAM(body_motion_max), CAM(face_brightness_min),
    CAM(face_brightness_max), CAM(contrast_min), CAM(backlight_max), CAM(clipped_max),
    CAM(sharpness_min), CAM(frozen_max_s), CAM(dark_below),
    VOICE(loudness_min), VOICE(loudness_max), VOICE(loudness_range_min),
    VOICE(volume_variation_min), VOICE(pitch_variation_min), VOICE(pause_min_s),
    VOICE(longest_pause_max_s), VOICE(speaking_ratio_min),
};

int vm_limits_parse(const char *spec, vm_camera_limits *cam, vm_voice_limits *voice, char *err,
                    size_t errlen)
{
    const char *p = spec ? spec : "";
    while (*p) {
        size_t len = strcspn(p, ",");
        char item[128];
        if (len == 0 || len >= sizeof(item)) {
            snprintf(err, errlen, "ISIM_VM_THRESHOLDS: an entry is empty or too long");
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        p += len + (p[len] == ',');
        char *eq = strchr(item, '=');
        if (!eq) {
            snprintf(err, errlen, "ISIM_VM_THRESHOLDS: \"%s\" is not name=value", item);
            return -1;
        }
        *eq = '\0';
        char *end;
        errno = 0;
        double v = strtod(eq + 1, &end);
        if (errno || end == eq + 1 || *end || !isfinite(v)) {
            snprintf(err, errlen, "ISIM_VM_THRESHOLDS: %s has no number", item);
            return -1;
        }
        size_t i = 0, n = sizeof(names) / sizeof(names[0]);
        while (i < n && strcmp(names[i].name, item) != 0)
            i++;
        if (i == n) {
            snprintf(err, errlen, "ISIM_VM_THRESHOLDS: unknown threshold %s", item);
            return -1;
        }
        char *base = names[i].voice ? (char *)voice : (char *)cam;
        *(double *)(base + names[i].offset) = v;
    }
    return 0;
}
