/* Video filter graph: turns decoded frames upright, scales them to the output
 * size and converts the pixel format for an encoder. */
#include <stdio.h>

#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>

#include "convert_internal.h"

static const char *rotation_filters(int rotation)
{
    switch (rotation) {
    case 90: return "transpose=clock,";
    case 180: return "hflip,vflip,";
    case 270: return "transpose=cclock,";
    default: return "";
    }
}

int conv_vgraph_open(conv_vgraph *g, const AVFrame *frame, AVRational tb, int rotation,
                     int ow, int oh, const char *pix_fmt)
{
    AVFilterInOut *outputs = avfilter_inout_alloc(), *inputs = avfilter_inout_alloc();
    AVRational sar = frame->sample_aspect_ratio;
    char args[256], chain[256];
    int ret = AVERROR(ENOMEM);

    g->graph = avfilter_graph_alloc();
    g->src = g->sink = NULL;
    if (!outputs || !inputs || !g->graph)
        goto out;
    g->graph->nb_threads = 1; /* the encoder owns the cores */
    if (sar.num <= 0 || sar.den <= 0)
        sar = (AVRational){1, 1};
    snprintf(args, sizeof(args), "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d",
             frame->width, frame->height, frame->format, tb.num, tb.den, sar.num, sar.den);
    ret = avfilter_graph_create_filter(&g->src, avfilter_get_by_name("buffer"), "in", args, NULL,
                                       g->graph);
    if (ret < 0)
        goto out;
    ret = avfilter_graph_create_filter(&g->sink, avfilter_get_by_name("buffersink"), "out", NULL,
                                       NULL, g->graph);
    if (ret < 0)
        goto out;
    snprintf(chain, sizeof(chain), "%sscale=%d:%d,format=%s", rotation_filters(rotation), ow, oh,
             pix_fmt);
    outputs->name = av_strdup("in");
    outputs->filter_ctx = g->src;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = g->sink;
    ret = avfilter_graph_parse_ptr(g->graph, chain, &inputs, &outputs, NULL);
    if (ret < 0)
        goto out;
    ret = avfilter_graph_config(g->graph, NULL);
    if (ret < 0)
        goto out;
    g->in_w = frame->width;
    g->in_h = frame->height;
    g->in_fmt = frame->format;
out:
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    if (ret < 0)
        conv_vgraph_free(g);
    return ret;
}

int conv_vgraph_matches(const conv_vgraph *g, const AVFrame *frame)
{
    return g->graph && frame->width == g->in_w && frame->height == g->in_h &&
           frame->format == g->in_fmt;
}

void conv_vgraph_free(conv_vgraph *g)
{
    avfilter_graph_free(&g->graph);
    g->src = g->sink = NULL;
}
